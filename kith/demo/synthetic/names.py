"""Curated name pools, first languages and religions for the communities of an English council.

The pools are common names of each community, combined at random: they describe no real person.
Names keep their diacritics (Łukasz, Siobhán, Nguyễn); `people` sometimes records them without,
as real records often do. British and Irish given names follow the year of birth, so a child is
not called Doris and a 90-year-old is not called Jaxon.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from kith.demo.synthetic._util import Weighted, choice, names

NO_RELIGION = "No religion"
NOT_STATED = "Not stated"


@dataclass(frozen=True, slots=True)
class Origin:
    """One naming tradition: its name pools, first languages and religions."""

    key: str
    male: tuple[str, ...]
    female: tuple[str, ...]
    surnames: tuple[str, ...]
    languages: Weighted[str]
    religions: Weighted[str]
    english_child: float = 0.5  # chance a child growing up here has English as first language
    middle: float = 0.0  # chance of a middle name
    middle_male: tuple[str, ...] = ()  # a fixed middle-name pool (Singh, Văn); else given names
    middle_female: tuple[str, ...] = ()
    takes_married_name: float = 0.0  # chance a married woman took her husband's family name
    feminine: str = ""  # rule for the feminine form of a family name: polish, ukrainian, slovak
    male_surnames: tuple[str, ...] = ()  # family names only men carry (Miah)
    female_surnames: tuple[str, ...] = ()  # family names only women carry (Begum)
    generations: tuple[tuple[int, tuple[str, ...], tuple[str, ...]], ...] = field(default=())
    religions_older: Weighted[str] | None = None  # for people aged 65 and over


def _w(**weights: float) -> Weighted[str]:
    return Weighted((key.replace("_", " "), weight) for key, weight in weights.items())


def _lang(*pairs: tuple[str, float]) -> Weighted[str]:
    return Weighted(pairs)


# British ----------------------------------------------------------------------------------------

_BRITISH_GENERATIONS = (
    (
        1949,
        names("""John William George Arthur Frederick Albert Harold Ernest Leonard Walter Stanley
        Kenneth Ronald Dennis Donald Norman Raymond Frank Alfred Sidney Herbert Cyril Eric Derek
        Roy Peter Brian Gordon Douglas Thomas James Robert Charles Reginald Leslie Geoffrey Joseph
        Edward Henry Jack Bernard Gerald Maurice Victor"""),
        names("""Mary Margaret Doris Dorothy Joan Joyce Irene Elsie Edna Ivy Vera Winifred Gladys
        Betty Jean Eileen Patricia Barbara Sheila Audrey Iris Violet Kathleen Phyllis Maureen
        Brenda Marjorie Elizabeth Florence Lilian Hilda Ethel Mabel Beryl June Sylvia Pamela
        Shirley Valerie Ann Muriel Evelyn Olive Nora Rita"""),
    ),
    (
        1969,
        names("""David John Michael Peter Paul Stephen Robert Christopher Ian Alan Keith Gary Mark
        Andrew Richard Philip Anthony Kevin Martin Graham Colin Trevor Nigel Barry Malcolm Terry
        Steven Neil Tony Clive Roger Geoffrey Kenneth Dennis Howard Jeffrey Derek Vincent"""),
        names("""Susan Linda Christine Margaret Carol Janet Patricia Elaine Jacqueline Julie Karen
        Sandra Deborah Gillian Lesley Denise Alison Wendy Pauline Angela Jennifer Anne Diane
        Tracey Helen Lorraine Sally Jane Beverley Sharon Valerie Lynne Maureen Hazel Judith
        Brenda Janice Teresa Yvonne Dawn"""),
    ),
    (
        1989,
        names("""Paul Mark David Andrew Richard Lee Darren Jason Wayne Craig Matthew Christopher
        Daniel Stuart Simon Jonathan Gareth Carl Dean Scott Michael James Ben Adam Neil Shaun
        Jamie Ryan Russell Robert Steven Martin Anthony Gavin Kevin Stephen Marc Philip Glen
        Nathan"""),
        names("""Sarah Claire Nicola Emma Lisa Joanne Michelle Helen Kelly Rachel Louise Samantha
        Donna Kerry Gemma Laura Victoria Stacey Leanne Amanda Natalie Zoë Jenna Katie Hayley
        Kirsty Rebecca Jodie Catherine Kate Dawn Tracy Julie Karen Tanya Danielle Kimberley
        Charlotte Jessica Vicky"""),
    ),
    (
        2009,
        names("""Thomas James Jack Daniel Joshua Luke Matthew Ryan Callum Jordan Liam Connor
        Kieran Adam Samuel Lewis Bradley Jake Ben Harry Charlie Alex Joe Dylan Nathan Reece Tyler
        Kyle Owen Aaron Jamie Ethan Mason Brandon Cameron Elliot Toby Louis Morgan Declan"""),
        names("""Jessica Emily Lauren Sophie Chloe Hannah Megan Charlotte Amy Rebecca Ellie
        Bethany Jade Holly Shannon Georgia Abigail Courtney Olivia Lucy Katie Paige Jasmine Leah
        Kayleigh Zoë Molly Eleanor Amber Caitlin Danielle Rachel Natasha Kirsty Alice Millie
        Demi Gemma Lily Freya"""),
    ),
    (
        9999,
        names("""Oliver Noah George Harry Leo Jack Oscar Arthur Charlie Jacob Alfie Freddie Theo
        Archie Henry Thomas Joshua William Teddy Finley Tommy Logan Reggie Albie Ronnie Lucas Max
        Ethan Mason Riley Jaxon Kai Ezra Louie Hugo Rory Jude Elijah Frankie Stanley Roman"""),
        names("""Olivia Amelia Isla Ava Lily Freya Ivy Florence Isabella Mia Poppy Sophia Grace
        Evie Willow Rosie Daisy Sienna Harper Elsie Phoebe Millie Ruby Matilda Maisie Ella Esmé
        Aria Luna Hallie Bonnie Margot Violet Edith Orla Thea Nancy Ada Mabel Penelope"""),
    ),
)

_BRITISH_SURNAMES = names("""Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson
Roberts Robinson Thompson Wright Walker White Edwards Hughes Green Hall Lewis Harris Clarke Jackson
Wood Turner Martin Cooper Hill Ward Morris Moore Clark Lee King Baker Harrison Morgan Allen James
Scott Phillips Watson Davis Parker Price Bennett Young Griffiths Mitchell Kelly Cook Carter
Richardson Bailey Collins Bell Shaw Murphy Miller Cox Richards Marshall Anderson Simpson Ellis
Adams Wilkinson Foster Chapman Powell Webb Rogers Gray Mason Hunt Campbell Matthews Owen Palmer
Holmes Mills Barnes Knight Lloyd Butler Russell Barker Fisher Stevens Jenkins Murray Dixon Harvey
Graham Pearson Fletcher Walsh Gibson Howard Andrews Stewart Elliott Reynolds Saunders Payne Fox
Ford Pearce Day Brooks West Lawrence Cole Atkinson Bradley Spencer Dawson Ball Burton Watts Rose
Booth Perry Ryan Grant Wells Armstrong Francis Rees Hayes Hart Hudson Newman Barrett Webster Hunter
Gregory Carr Lowe Page Marsh Riley Dunn Woods Parsons Berry Stone Reid Holland Hawkins Harding
Porter Robertson Newton Oliver Reed Kennedy Williamson Bird Gardner Dean Lane Cooke Bates
Henderson Parry Burgess Bishop Walton Burns Nicholson Shepherd Ross Cross Long Freeman Warren
Nicholls Hamilton Byrne Sutton McDonald Yates Hodgson Robson Curtis Hopkins Harper Coleman Watkins
Moss Chambers Griffin Sharp Hardy Wheeler Potter Osborne Johnston Gordon Wallace George Jordan
Hutchinson Rowe Burke May Pritchard Gilbert Willis Higgins Read Miles Stevenson Hammond Arnold
Buckley Walters Hewitt Barber Nelson Slater Austin Sullivan Whitehead Mann Frost Lambert Stephens
Blake Lynch Goodwin Barton Woodward Thomson Cunningham Quinn Barnett Baxter Clayton Nash Greenwood
Jennings Holt Kemp Poole Bond Stokes Tucker Davidson Fowler Heath Norman Middleton Lawson Banks
French Stanley Jarvis Gibbs Ferguson Hayward Douglas Dickinson Todd Barlow Peters Lucas Knowles
Hartley Simmons Morton Alexander Field Morrison Norris Townsend Preston Hancock Thornton Baldwin
Burrows Briggs Storey Pugh Metcalfe Pickering Hale Sykes Kirby Pollard Gough Atherton Haworth
Platt Entwistle Tomlinson Ashworth Crowther Llewellyn Pryce Vaughan MacKenzie Fraser Sinclair
Ogilvie Cartwright Whitworth Higginbottom Fairclough Wainwright Ackroyd Fenwick Trelawny
Pengelly Nancarrow Whittaker Sowerby Lister Dobson Kershaw Rigby""")

_BRITISH_RELIGIONS = _w(
    Christian=44,
    No_religion=43,
    Not_stated=8,
    Jewish=1.2,
    Buddhist=0.6,
    Muslim=0.6,
    Other_religion=1.4,
)
_BRITISH_RELIGIONS_OLDER = _w(
    Christian=72, No_religion=18, Not_stated=7, Jewish=1.5, Other_religion=1
)

# Irish and Traveller -----------------------------------------------------------------------------

_IRISH_GENERATIONS = (
    (
        1974,
        names("""Patrick Michael John Seán Séamus Thomas James Liam Brendan Declan Kevin Martin
        Gerard Éamonn Pádraig Francis Joseph Dermot Noel Colm Denis Fergal"""),
        names("""Mary Bridget Margaret Kathleen Catherine Anne Siobhán Maureen Noreen Eileen
        Teresa Philomena Nuala Sinéad Áine Deirdre Bernadette Máire Geraldine Eithne"""),
    ),
    (
        9999,
        names("""Conor Cian Oisín Darragh Ciarán Niall Eoin Ronan Fionn Tadhg Cillian Rory Shane
        Aidan Seán Daithí Cathal Odhrán Ruairí Donnacha Senan Tomás"""),
        names("""Aoife Niamh Saoirse Róisín Caoimhe Ciara Orla Clodagh Aisling Éabha Síofra Méabh
        Gráinne Sorcha Fiadh Laoise Clíodhna Aoibheann Ailbhe Róise Nollaig Siún"""),
    ),
)

_IRISH_SURNAMES = names("""Murphy Kelly O'Sullivan Walsh O'Brien Byrne Ryan O'Connor O'Neill
O'Reilly Doyle McCarthy Gallagher O'Doherty Kennedy Lynch Murray Quinn Moore McLaughlin Carroll
Connolly Daly O'Connell Brennan Burke Collins Clarke Hughes Farrell Fitzgerald Maguire Nolan Flynn
Callaghan O'Donnell Duffy O'Mahony Boyle Healy Keane Moran Whelan Kavanagh Dunne Power Hegarty""")

# Polish and other European -----------------------------------------------------------------------

_POLISH = (
    names("""Łukasz Paweł Piotr Krzysztof Tomasz Marcin Michał Jakub Kamil Mateusz Wojciech
    Bartłomiej Grzegorz Adam Dawid Szymon Filip Antoni Jan Kacper Maciej Rafał Sebastian Zbigniew
    Andrzej Stanisław Jerzy Tadeusz Przemysław Dominik"""),
    names("""Anna Katarzyna Małgorzata Agnieszka Joanna Magdalena Monika Aleksandra Natalia Zofia
    Julia Maja Zuzanna Wiktoria Oliwia Karolina Justyna Beata Ewa Dorota Barbara Krystyna Elżbieta
    Paulina Marta Weronika Alicja Hanna Łucja Jadwiga"""),
    names("""Nowak Kowalski Wiśniewski Wójcik Kowalczyk Kamiński Lewandowski Zieliński Szymański
    Woźniak Dąbrowski Kozłowski Jankowski Mazur Wojciechowski Kwiatkowski Krawczyk Kaczmarek
    Piotrowski Grabowski Zając Pawłowski Michalski Król Wieczorek Jabłoński Wróbel Nowakowski
    Majewski Olszewski Stępień Malinowski Jaworski Adamczyk Dudek Nowicki Pawlak Górski Witkowski
    Walczak Sikora Baran Rutkowski Michalak Szewczyk Ostrowski Tomaszewski Pietrzak Zalewski
    Wróblewski Jasiński Sadowski Zawadzki Bąk Chmielewski Włodarczyk Borkowski Czarnecki"""),
)

_ROMANIAN = (
    names("""Andrei Alexandru Ionuț Mihai Ștefan Gabriel Florin Cristian Adrian Constantin Bogdan
    Marius Vlad Răzvan Cătălin Daniel Sorin Nicolae Gheorghe Dragoș Sebastian Darius David Luca
    Matei Tudor Ovidiu Valentin"""),
    names("""Maria Elena Ioana Andreea Alexandra Gabriela Mihaela Cristina Ana Daniela Raluca
    Roxana Alina Diana Florentina Bianca Larisa Denisa Ecaterina Irina Sofia Ilinca Mădălina Oana
    Teodora Anca Georgiana Ramona"""),
    names("""Popescu Ionescu Popa Pop Radu Dumitru Stan Stoica Gheorghe Matei Ciobanu Rusu Munteanu
    Mihai Constantin Marin Ene Tudor Lungu Moldovan Florea Ștefan Dobre Barbu Nistor Șerban Dinu
    Toma Neagu Ursu Diaconu Cristea Țurcanu Căpraru Anghel Sârbu Voicu Bălan Vasile Oprea Lupu"""),
)

_UKRAINIAN = (
    names("""Oleksandr Andrii Dmytro Mykola Yaroslav Bohdan Serhii Volodymyr Yurii Maksym Artem
    Denys Taras Ivan Oleh Vitalii Roman Mykhailo Danylo Nazar Ihor Vasyl"""),
    names("""Olena Oksana Iryna Kateryna Nataliia Yuliia Sofiia Anastasiia Tetiana Svitlana
    Viktoriia Alina Daryna Khrystyna Halyna Liudmyla Mariia Solomiia Veronika Polina Zlata"""),
    names("""Shevchenko Kovalenko Bondarenko Tkachenko Kravchenko Melnyk Boiko Kovalchuk Oliinyk
    Lysenko Marchenko Moroz Petrenko Savchenko Rudenko Levchenko Koval Ponomarenko Polishchuk
    Hrytsenko Tkachuk Pavlenko Klymenko Savchuk Kravchuk Romaniuk Symonenko Vasylenko Kovalskyi
    Vyshnevskyi Lytvynenko Karpenko Demchenko Ostapchuk Nazarenko Sikorskyi Hnatiuk"""),
)

_PORTUGUESE = (
    names("""João José António Tiago Pedro Rui Miguel Luís Paulo Gonçalo Diogo Rodrigo Francisco
    Duarte Martim Afonso Vítor Nuno Bruno Carlos Henrique Simão"""),
    names("""Maria Ana Beatriz Inês Mariana Sofia Catarina Joana Rita Leonor Matilde Sara Lúcia
    Fátima Conceição Patrícia Vânia Sónia Carla Margarida Filipa Teresa"""),
    names("""Silva Santos Ferreira Pereira Oliveira Costa Rodrigues Martins Jesus Sousa Fernandes
    Gonçalves Gomes Lopes Marques Alves Almeida Ribeiro Pinto Carvalho Teixeira Moreira Correia
    Mendes Nunes Soares Vieira Monteiro Cardoso Rocha Neves Coelho Cunha Pires Ramos Reis Simões
    Antunes Fonseca Freitas"""),
)

_ALBANIAN = (
    names("""Ardit Erion Klevis Besnik Arben Endri Kristi Altin Gentian Elton Ervin Fatjon Dritan
    Bledar Flamur Arlind Dorian Redon Kledi Sokol Ermal Kujtim"""),
    names("""Elira Anjeza Blerina Ermira Xhesika Entela Alketa Mirela Arjola Jonida Megi Kejsi Sara
    Ajola Drita Besa Fjolla Brikena Lindita Rezarta Mimoza Valbona"""),
    names("""Hoxha Shehu Krasniqi Gashi Berisha Dervishi Çela Kola Leka Marku Hysa Muça Dedja Kuka
    Prifti Dosti Bajrami Gjoka Lika Shkurti Hasani Ahmeti Zeqiri Mehmeti Sinani Hajdari"""),
)

_TURKISH = (
    names("""Mehmet Mustafa Ahmet Ali Hüseyin Hasan İbrahim Emre Burak Can Hakan Yusuf Emir Ömer
    Kerem Murat Serkan Onur Eren Berat Arda Yiğit Deniz Oğuz Erkan"""),
    names("""Ayşe Fatma Emine Hatice Zeynep Elif Merve Büşra Özlem Gül Sevgi Esra Derya Melek Defne
    Ecrin Eylül Nehir Asya Yağmur Selin Duygu Gülsüm Şule"""),
    names("""Yılmaz Kaya Demir Şahin Çelik Yıldız Yıldırım Öztürk Aydın Özdemir Arslan Doğan Kılıç
    Aslan Çetin Kara Koç Kurt Özkan Şimşek Polat Korkmaz Güneş Aktaş Bulut Keskin Ünal Avcı
    Türkmen Erdem Akın Uçar"""),
)

_KURDISH = (
    names("""Azad Rebwar Karwan Shvan Hawre Serhat Baran Soran Dara Rêbaz Kawa Hemin Diyar Aram
    Zana Bakhtiyar Sherko Hogir Rojhat Welat Delal Hersh"""),
    names("""Berfin Rojda Dilan Hêvîn Nazdar Shilan Avin Zozan Jiyan Nishtiman Shirin Gulistan
    Rozerin Viyan Berivan Dilvin Jwan Sozdar Nasrin Hana Lana Darya"""),
    names("""Ahmed Mahmoud Rashid Karim Aziz Qadir Salih Omer Mustafa Tahir Hama Abdullah Othman
    Rasul Hussein Amin Sharif Faraj Nuri Kaka Mirza Ibrahim Bakir Jalal"""),
)

_ARAB = (
    names("""Ahmad Mohammed Omar Khaled Youssef Yasin Karim Tariq Samir Hani Ibrahim Mahmoud Hamza
    Adam Zaid Bilal Walid Fadi Rami Saif Majid Nabil Amir Hassan Mustafa Ayman"""),
    names("""Layla Noor Rania Hala Yasmin Salma Mariam Lina Dana Huda Amal Rasha Reem Hiba Jana Sara
    Nour Aya Ghada Zeinab Fatima Malak Lama Rawan Sahar Dina"""),
    names("""Haddad Khalil Mansour Nasser Saleh Hamdan Abdullah Al-Hashimi Al-Amin Darwish Ibrahim
    Suleiman Qassem Youssef Khoury Abboud Aziz Farouk Jaber Saeed Al-Masri Al-Tamimi Shaheen Awad
    Othman Hijazi Zaki Al-Ali Haidar"""),
)

_IRANIAN = (
    names("""Reza Ali Amir Mehdi Hossein Dariush Arash Babak Kaveh Kian Mohammad Farhad Hamid Omid
    Pouya Saeed Sina Arman Navid Behnam"""),
    names("""Maryam Nazanin Shirin Parisa Niloufar Sara Roya Leila Mahsa Fatemeh Zahra Shabnam
    Yasaman Azadeh Elham Golnaz Samira Tara Mina Setareh"""),
    names("""Hosseini Mohammadi Rezaei Karimi Ahmadi Jafari Moradi Rahimi Kazemi Tehrani Sadeghi
    Hashemi Ebrahimi Abbasi Ghorbani Rostami Bahrami Zamani Amini Najafi Shirazi Farahani"""),
)

_LATIN_AMERICAN = (
    names("""José Juan Carlos Luis Miguel Jorge Andrés Diego Santiago Sebastián Mateo Daniel
    Alejandro Felipe Camilo Javier Ricardo Gustavo Fernando Óscar"""),
    names("""María Ana Sofía Valentina Camila Isabella Daniela Gabriela Mariana Luisa Paula Carolina
    Natalia Lucía Valeria Ximena Juliana Andrea Catalina Paola Inés"""),
    names("""García Rodríguez González Hernández López Martínez Pérez Sánchez Ramírez Torres Flores
    Rivera Gómez Díaz Vargas Castillo Moreno Jiménez Rojas Romero Álvarez Ruiz Mendoza Ortiz
    Guzmán Muñoz Herrera Medina Aguilar Castro Salazar Cárdenas Restrepo Ospina"""),
)

# Roma and Gypsy ----------------------------------------------------------------------------------

_GYPSY = (
    names("""Levi Noah Jimmy Billy Henry Joe Tommy Frankie Sonny Reuben Tyson Elijah Moses Jesse
    Isaac Sylvester Nelson Joshua Gilbert Absalom Liberty Caleb"""),
    names("""Mary Lavinia Rosie Violet Esme Vashti Dotty Lily Kizzy Delilah Sabrina Patience
    Prudence Caroline Sophie Cherish Britney Mercy Priscilla Louvaina Tilly Lacey"""),
    names("""Lee Smith Boswell Lovell Price Loveridge Cooper Ayres Buckland Herne Gray Stanley
    Burton Wood Taylor Penfold Scamp Doe Eastwood Hearn Keet Brazil Wenman Sherred"""),
)

_ROMA_RO = (
    names("""Ionuț Florin Marian Adrian Gheorghe Costel Vasile Nicolae Marius Ramon Denis Mario
    Robert Daniel Gabriel Sandu Ciprian Fănel"""),
    names("""Mariana Florentina Elena Larisa Daniela Nicoleta Simona Denisa Ramona Mirela Lavinia
    Rebeca Sorina Gina Fănica Carmen Loredana"""),
    names("""Stoica Rostaș Lingurar Căldărar Lăcătuș Dumitrache Mihai Rădulescu Zamfir Nae Buzatu
    Covaci Ciurar Fieraru Spoitoru Ursaru Mitrea"""),
)

_ROMA_SK = (
    names("""Patrik Dominik Roman Jozef Ladislav Tomáš Robert Daniel Marek Radoslav Erik Rastislav
    Milan Kristián Dávid Matej"""),
    names("""Veronika Monika Simona Denisa Nikola Vanesa Kristína Lenka Mária Renáta Silvia Jana
    Natália Nikoleta Sabína Klaudia"""),
    names("""Horváth Balog Lakatoš Kotlár Gabčo Dužda Červeňák Oláh Baláž Koky Mižigár Bandy Dunka
    Pokuta Kandráč Šarkozi"""),
)

_IRISH_TRAVELLER = (
    names("""Patrick Michael John Martin Thomas Christy Johnny Paddy Willie Francie Bernard Joe
    James Mikey Jimmy Tommy Hughie Simey"""),
    names("""Bridget Mary Margaret Kathleen Ellen Nora Winnie Julia Annie Teresa Chelsea Shannon
    Kathy Kelly Brigid Roseanne Nellie Josie"""),
    names("""McDonagh Ward Joyce Maughan Connors Delaney McGinley Mongan Stokes Cash Sweeney
    McCarthy Collins Doherty O'Brien Gavin Reilly Nevin McInerney Mulvey Quilligan Keenan"""),
)

# South Asian -------------------------------------------------------------------------------------

_GUJARATI = (
    names("""Amit Rajesh Sanjay Nilesh Hitesh Ketan Mehul Jignesh Vipul Dipak Mukesh Paresh Bharat
    Kishore Rohan Dhruv Yash Aarav Krish Dev Neel Jay Rahul Viraj Harsh"""),
    names("""Priya Nisha Pooja Hetal Bhavna Sonal Kajal Reena Rekha Hina Jaya Krupa Shital Dipti
    Anjali Riya Diya Isha Khushi Mira Anaya Kavya Saanvi Aashvi Jyoti"""),
    names("""Patel Shah Mistry Parmar Solanki Chauhan Desai Joshi Modi Pandya Thakkar Lad Gohil
    Vaghela Chavda Makwana Rathod Trivedi Bhatt Dave Amin Lakhani Vekaria Kotecha Mehta Raval"""),
)

_PUNJABI = (
    names("""Harpreet Gurpreet Jaspreet Manpreet Sukhwinder Jaswinder Kulwinder Balwinder Amarjit
    Rajinder Gurdeep Harjit Jasvir Ranjit Navdeep Amrit Arjan Jasraj Gurveer Harvinder Sukhdeep
    Tejinder Inderjit Manjit Karanveer Ravinder"""),
    names("""Harpreet Gurpreet Jaspreet Manpreet Simran Amrit Navneet Rajvinder Kulvinder Sukhjit
    Jasleen Harleen Gurleen Manjit Paramjit Kiran Baljit Jasmeet Sandeep Amandeep Ravneet Japleen
    Simarpreet Gurdip Surinder"""),
    names("""Gill Sandhu Sidhu Dhillon Johal Bains Grewal Sahota Atwal Bassi Mann Virdi Kang Hayer
    Sangha Sohal Dhaliwal Chahal Randhawa Bhogal Sanghera Cheema Deol Basra Rai Kaler Nijjar"""),
)

_INDIAN_OTHER = (
    names("""Vikram Arjun Aditya Rahul Rohit Sunil Anil Sameer Vivek Karthik Suresh Ramesh Ganesh
    Srinivas Venkatesh Praveen Arun Vijay Ishaan Aryan Vihaan Reyansh Advik Ayaan Joseph Thomas"""),
    names("""Anjali Neha Shreya Divya Lakshmi Meena Radha Deepa Kavita Sunita Geeta Swati Pallavi
    Aishwarya Ananya Aditi Nandini Sneha Priyanka Meera Tara Aadhya Ira Myra Anu Sheeba"""),
    names("""Sharma Gupta Kumar Verma Agarwal Mehta Kapoor Malhotra Chopra Iyer Nair Pillai Reddy
    Rao Menon Krishnan Subramanian Banerjee Chatterjee Mukherjee Das Bose Sen Mishra Tiwari Pandey
    Yadav Varghese Mathew Kurian"""),
)

_PAKISTANI = (
    names("""Muhammad Mohammed Ali Hassan Usman Bilal Imran Zain Ayaan Ibrahim Adam Hamza Zakariya
    Yusuf Omar Umar Abdullah Faisal Tariq Asif Naveed Shahid Arif Zubair Kashif Waqas Adnan Khalid
    Nadeem Sajid Tahir Aamir Haroon Zeeshan Rizwan"""),
    names("""Ayesha Fatima Maryam Zainab Amina Sana Hira Iqra Noor Khadija Saima Nasreen Shazia
    Samina Rubina Nazia Bushra Farzana Aisha Aleena Zara Hafsa Anaya Inaya Haniya Alisha Mehwish
    Sadia Nabila Rukhsana Parveen"""),
    names("""Khan Hussain Ahmed Ali Akhtar Iqbal Mahmood Butt Malik Raja Shah Rashid Javed Aslam
    Anwar Riaz Rehman Qureshi Bashir Sadiq Mirza Chaudhry Yousaf Hanif Nawaz Saleem Siddique
    Abbasi Kayani Dar Mir Sultan Zaman Younis"""),
)

_BANGLADESHI = (
    names("""Abdul Mohammed Rahim Shahid Jamal Rafiq Kamal Sabbir Ayaan Rayyan Ismail Foysal Shahin
    Jubair Nazrul Tanvir Rezaul Mizanur Habibur Aminul Rafi Zayan Arham Shamim Anwar Ashraf Sohel
    Mahbub Nurul"""),
    names("""Fatema Nasima Shirin Rahima Jahanara Taslima Sumaiya Nusrat Tahmina Sadia Anisa
    Ruksana Shahnaz Halima Rabia Yasmin Shamima Sufia Sabina Maryam Jannat Inaya Hafsa Tasnim Afia
    Mahira Raisa Nadia Sharmin"""),
    names("""Rahman Ahmed Islam Hoque Choudhury Ali Hossain Karim Alom Akhtar Chowdhury Khan Sarkar
    Talukdar Mahmud Kabir Haque Miah Uddin"""),
)

_AFGHAN = (
    names("""Ahmad Mohammad Abdul Rahmatullah Farid Jawad Nasir Wahid Hamid Sayed Mustafa Hekmat
    Zabihullah Sharif Ehsan Bilal Samiullah Naveed Shafiq Omid"""),
    names("""Fatima Zahra Maryam Parisa Shabnam Mursal Madina Nargis Farzana Mahbooba Gulalai
    Laila Soraya Hadisa Marwa Freshta Nilofar Zarmina Sima Khatera"""),
    names("""Ahmadi Rahimi Hakimi Karimi Sultani Noori Haidari Popal Stanikzai Safi Amiri Mohammadi
    Rezaei Hussaini Sadat Wardak Nazari Azizi Rasuli Jalali Samadi Yousufzai"""),
)

_TAMIL = (
    names("""Kajan Tharshan Prasanth Sivakumar Rajan Thusyanthan Nirojan Kumaran Ragavan Senthil
    Vithushan Arjun Mathusan Kirushanth Sajeevan Dinesh"""),
    names("""Tharshika Nirosha Kavitha Sharmila Thanuja Abirami Mathumitha Vithya Kalaivani
    Yalini Janani Sangeetha Nivetha Pirintha Tharani Keerthana"""),
    names("""Sivarajah Thevarajah Kanagaratnam Rajendran Balasubramaniam Navaratnam Selvarajah
    Tharmalingam Ponnambalam Sivanesan Yogarajah Kandiah Thurairajah Mahendran Ratnam"""),
)

_NEPALI = (
    names("""Bishal Suman Prakash Ramesh Sunil Bikash Dipesh Sagar Rajan Santosh Anil Kamal Nabin
    Hari Krishna Bimal Sujan Aayush Aarav Rohan"""),
    names("""Sita Gita Anjali Sunita Pooja Sarita Kabita Anita Laxmi Manisha Rita Bimala Sabina
    Srijana Asmita Samjhana Pratiksha Aastha Sushma Kalpana"""),
    names("""Gurung Rai Limbu Thapa Magar Tamang Shrestha Pun Sherpa Ghale Chhetri Karki Adhikari
    Khadka Bhandari Basnet Thakuri Ale Subba"""),
)

_FILIPINO = (
    names("""Jose Mark John_Paul Ramon Christian Jerome Rodel Joel Romeo Arnel Jayson Renato
    Rogelio Bryan Kevin Miguel Paolo Carlo Jericho Nathaniel"""),
    names("""Maria Rosalie Maricel Joy Grace Kristine Jasmine Marites Lorna Cristina Rowena Jennifer
    Anna_Mae Princess Angelica Lovely Charmaine Rhea Jocelyn Nerissa"""),
    names("""Santos Reyes Cruz Bautista Garcia Dela_Cruz Mendoza Villanueva Aquino Ramos Castillo
    Rivera Flores Gonzales Torres De_Leon Navarro Pascual Salazar Domingo Mercado Soriano
    Manalo"""),
)

_VIETNAMESE = (
    names("""Minh Anh Thành Tuấn Hùng Dũng Quang Huy Đức Long Nam Khoa Phúc Bảo Hiếu Trung"""),
    names("""Linh Ngọc Hương Lan Mai Thảo Trang Hà Nhung Phương Thu Hạnh Vy Yến Hoa Thủy"""),
    names("""Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý"""),
)

_CHINESE = (
    names("""Wei Jun Hao Yi Xin Jie Ming Lei Jian Tao Bo Zhiwei Yuxuan Haoran Zihan Yichen Jiahao
    Junjie Kelvin Jason Kenneth Alan Eric Raymond Ka-Wai Chun-Kit Wing-Hong Ho-Yin Man-Kit"""),
    names("""Mei Li Xiaoling Yan Ying Jing Hui Ling Fang Xiaomei Yuting Jiayi Zihan Xinyi Yutong
    Winnie Karen Joyce Stephanie Michelle Wing-Yan Hoi-Ching Ka-Yan Mei-Ling Suk-Yee"""),
    names("""Wang Li Zhang Liu Chen Chan Wong Cheung Lam Ng Ho Yang Zhao Huang Lin Tang Leung Yip
    Lau Tsang Yu Zhou Wu Xu Sun Ma Zhu Hu Guo Kwok Tse Fung Choi Mak Lo"""),
)

# Black Caribbean and African ----------------------------------------------------------------------

_CARIBBEAN = (
    names("""Marcus Andre Jermaine Tyrone Leon Kemar Delroy Winston Clive Errol Devon Dwayne Trevor
    Leroy Everton Lloyd Courtney Carlton Nathaniel Isaiah Malachi Jayden Kyrie Tyrese Elijah
    Josiah Kareem Omari Ashley Desmond"""),
    names("""Shanice Keisha Aaliyah Tanisha Marcia Beverley Paulette Jasmine Chantelle Hyacinth
    Sonia Claudette Pauline Yvonne Grace Leanne Shantelle Jada Nia Imani Amani Kiara Tia Zaria
    Amara Naomi Esther Monique Kerry-Ann Cherelle"""),
    names("""Campbell Brown Williams Thompson Francis Henry Clarke Grant Reid Simpson Morgan Samuels
    Forbes Gordon McKenzie Bailey Edwards Wright Dacres Blake Richards Powell Gayle Lindo Stewart
    Bryan Barrett Ferguson Spence Palmer Walters Christie Ellis Joseph Charles Lewis Robinson Daley
    Graham Harriott Facey Wint Bennett"""),
)

_NIGERIAN = (
    names("""Oluwaseun Adebayo Chukwuemeka Emeka Chinedu Babatunde Olumide Femi Ifeanyi Obinna
    David Daniel Samuel Joshua Tobi Ayodele Kayode Segun Tunde Uche Nnamdi Chidi Ikenna Damilola
    Tolulope Gbenga Kelechi Emmanuel Michael"""),
    names("""Chiamaka Ngozi Adaeze Funmilayo Folake Temitope Oluwatoyin Blessing Precious Favour
    Esther Grace Adaobi Ifeoma Nneka Chioma Bukola Yetunde Abimbola Oluwakemi Titilayo Morenike
    Amarachi Ebere Ijeoma Deborah Comfort Mercy Ruth"""),
    names("""Adeyemi Okafor Okonkwo Adebayo Ogunleye Eze Nwosu Balogun Olawale Ibekwe Afolabi
    Nwachukwu Obi Adewale Ogunbanjo Adeleke Bello Ogundipe Oyebanji Akinola Okoro Uzoma Adegoke
    Oladipo Oyelaran Chukwu Ojo Okeke Onyekachi Akintola"""),
)

_GHANAIAN = (
    names("""Kwame Kofi Kwabena Kwasi Yaw Kojo Kweku Nana Ebo Kwadwo Kwaku Emmanuel Samuel Richard
    Isaac Daniel Prince Francis Nii Fiifi"""),
    names("""Ama Akosua Abena Efua Adwoa Yaa Afua Esi Akua Adjoa Abigail Priscilla Gifty Mavis
    Comfort Doris Linda Patience Josephine Naa"""),
    names("""Mensah Owusu Boateng Asante Osei Agyeman Appiah Darko Ofori Amoah Acheampong Addo
    Ansah Quaye Tetteh Annan Amponsah Asamoah Frimpong Bonsu Sarpong Opoku Antwi Badu Kyei Adjei
    Oduro"""),
)

_SOMALI = (
    names("""Mohamed Abdi Abdirahman Abdullahi Ahmed Hassan Yusuf Omar Hamza Liban Abdikarim Mahad
    Mustafe Ismail Bashir Said Khalid Abdiaziz Guled Farhan Zakariye Ayanle Hussein Yonis
    Sharmarke"""),
    names("""Amina Hodan Fadumo Hibo Sagal Ayaan Ifrah Hawa Nimco Sahra Ubah Khadra Deqa Halimo
    Istahil Muna Hamdi Ilhan Sumaya Anisa Safiya Fardowsa Asha Leylo Ruqiya"""),
    names("""Mohamed Ali Hassan Abdi Farah Warsame Jama Osman Nur Ismail Aden Hersi Egal Gedi Dahir
    Yusuf Omar Ahmed Elmi Abdullahi Mohamud Hussein Duale Guled Adan Shire Musse"""),
)

_ERITREAN = (
    names("""Yonas Dawit Samuel Filmon Merhawi Tesfay Habtom Kidane Yohannes Biniam Abel Robel
    Semere Mulugeta Tekle Daniel Ermias Henok Michael Amanuel Natnael Efrem"""),
    names("""Helen Selam Senait Mebrat Tsega Luwam Saba Yordanos Rahel Hiwet Winta Ruta Elsa Feven
    Lidia Almaz Aster Tsehay Mahlet Eden Danait Delina Segen Rigbe"""),
    names("""Tesfamariam Haile Gebremedhin Berhane Tekle Woldemichael Kidane Ghebreyesus Mehari
    Asfaha Tewelde Negash Gebru Habte Tesfaye Kahsay Andemariam Ghebremichael Zerai Okbazghi
    Yemane Weldu Gebrehiwet Fesseha"""),
)

_ZIMBABWEAN = (
    names("""Tendai Tatenda Farai Tinashe Tapiwa Takudzwa Kudzai Simbarashe Blessing Tafadzwa
    Munyaradzi Tawanda Brian Tonderai Innocent Kudakwashe Nyasha Panashe Anesu Tanaka"""),
    names("""Rutendo Chipo Nyasha Tsitsi Rumbidzai Fadzai Chiedza Vimbai Nokuthula Thandiwe
    Sibusisiwe Memory Precious Ruvimbo Tariro Rudo Shamiso Mufaro Anotida Tanatswa"""),
    names("""Moyo Ncube Dube Sibanda Chikwanha Mutasa Mlambo Ndlovu Nyathi Mpofu Chirwa Gumbo Marufu
    Mapfumo Makoni Chigumba Chinembiri Mhlanga Banda Phiri Sithole Mazarura Maposa"""),
)

_MUSLIM = _w(Muslim=94, Not_stated=4, No_religion=2)


def _origin(key: str, pools: tuple[tuple[str, ...], ...], **kwargs: Any) -> Origin:
    male, female, surnames = pools
    return Origin(key, male, female, surnames, **kwargs)


ORIGINS: dict[str, Origin] = {
    o.key: o
    for o in (
        Origin(
            "british",
            _BRITISH_GENERATIONS[-1][1],
            _BRITISH_GENERATIONS[-1][2],
            _BRITISH_SURNAMES,
            _lang(("English", 993), ("Welsh", 4), ("British Sign Language", 3)),
            _BRITISH_RELIGIONS,
            english_child=1.0,
            middle=0.75,
            takes_married_name=0.8,
            generations=_BRITISH_GENERATIONS,
            religions_older=_BRITISH_RELIGIONS_OLDER,
        ),
        Origin(
            "irish",
            _IRISH_GENERATIONS[-1][1],
            _IRISH_GENERATIONS[-1][2],
            _IRISH_SURNAMES,
            _lang(("English", 97), ("Irish", 3)),
            _w(Christian=70, No_religion=22, Not_stated=8),
            english_child=1.0,
            middle=0.7,
            takes_married_name=0.75,
            generations=_IRISH_GENERATIONS,
        ),
        _origin(
            "irish_traveller",
            _IRISH_TRAVELLER,
            languages=_lang(("English", 100)),
            religions=_w(Christian=90, Not_stated=10),
            english_child=1.0,
            middle=0.3,
            takes_married_name=0.9,
        ),
        _origin(
            "gypsy",
            _GYPSY,
            languages=_lang(("English", 96), ("Romani", 4)),
            religions=_w(Christian=75, No_religion=10, Not_stated=15),
            english_child=1.0,
            middle=0.4,
            takes_married_name=0.85,
        ),
        _origin(
            "roma_ro",
            _ROMA_RO,
            languages=_lang(("Romani", 55), ("Romanian", 45)),
            religions=_w(Christian=85, Not_stated=15),
            english_child=0.3,
            takes_married_name=0.7,
        ),
        _origin(
            "roma_sk",
            _ROMA_SK,
            languages=_lang(("Romani", 55), ("Slovak", 35), ("Czech", 10)),
            religions=_w(Christian=80, Not_stated=20),
            english_child=0.3,
            takes_married_name=0.8,
            feminine="slovak",
        ),
        _origin(
            "polish",
            _POLISH,
            languages=_lang(("Polish", 100)),
            religions=_w(Christian=84, No_religion=10, Not_stated=6),
            english_child=0.45,
            middle=0.2,
            takes_married_name=0.9,
            feminine="polish",
        ),
        _origin(
            "romanian",
            _ROMANIAN,
            languages=_lang(("Romanian", 100)),
            religions=_w(Christian=90, No_religion=5, Not_stated=5),
            english_child=0.35,
            middle=0.15,
            takes_married_name=0.85,
        ),
        _origin(
            "ukrainian",
            _UKRAINIAN,
            languages=_lang(("Ukrainian", 75), ("Russian", 25)),
            religions=_w(Christian=78, No_religion=14, Not_stated=8),
            english_child=0.15,
            takes_married_name=0.85,
            feminine="ukrainian",
        ),
        _origin(
            "portuguese",
            _PORTUGUESE,
            languages=_lang(("Portuguese", 100)),
            religions=_w(Christian=82, No_religion=12, Not_stated=6),
            english_child=0.45,
            middle=0.5,
            takes_married_name=0.5,
        ),
        _origin(
            "albanian",
            _ALBANIAN,
            languages=_lang(("Albanian", 100)),
            religions=_w(Muslim=55, Christian=20, No_religion=20, Not_stated=5),
            english_child=0.3,
            takes_married_name=0.8,
        ),
        _origin(
            "turkish",
            _TURKISH,
            languages=_lang(("Turkish", 100)),
            religions=_w(Muslim=75, No_religion=15, Not_stated=10),
            english_child=0.45,
            middle=0.15,
            takes_married_name=0.8,
        ),
        _origin(
            "kurdish",
            _KURDISH,
            languages=_lang(
                ("Kurdish (Sorani)", 50), ("Kurdish (Kurmanji)", 35), ("Arabic", 10), ("Turkish", 5)
            ),
            religions=_w(Muslim=80, No_religion=10, Other_religion=5, Not_stated=5),
            english_child=0.3,
        ),
        _origin(
            "arab",
            _ARAB,
            languages=_lang(("Arabic", 100)),
            religions=_w(Muslim=85, Christian=10, Not_stated=5),
            english_child=0.35,
        ),
        _origin(
            "iranian",
            _IRANIAN,
            languages=_lang(("Persian (Farsi)", 100)),
            religions=_w(Muslim=60, No_religion=20, Christian=10, Other_religion=5, Not_stated=5),
            english_child=0.4,
        ),
        _origin(
            "latin_american",
            _LATIN_AMERICAN,
            languages=_lang(("Spanish", 100)),
            religions=_w(Christian=80, No_religion=15, Not_stated=5),
            english_child=0.4,
            middle=0.4,
        ),
        _origin(
            "gujarati",
            _GUJARATI,
            languages=_lang(("Gujarati", 85), ("English", 15)),
            religions=_w(Hindu=85, Other_religion=6, Muslim=4, Not_stated=5),
            english_child=0.75,
            takes_married_name=0.9,
        ),
        _origin(
            "punjabi",
            _PUNJABI,
            languages=_lang(("Punjabi", 85), ("English", 15)),
            religions=_w(Sikh=85, Hindu=5, No_religion=5, Not_stated=5),
            english_child=0.75,
            middle=0.85,
            middle_male=("Singh",),
            middle_female=("Kaur",),
            takes_married_name=0.85,
        ),
        _origin(
            "indian",
            _INDIAN_OTHER,
            languages=_lang(
                ("Hindi", 30),
                ("Tamil", 15),
                ("Malayalam", 15),
                ("Bengali", 10),
                ("Telugu", 10),
                ("Marathi", 5),
                ("English", 15),
            ),
            religions=_w(Hindu=70, Christian=12, Muslim=8, No_religion=5, Not_stated=5),
            english_child=0.7,
            takes_married_name=0.8,
        ),
        _origin(
            "pakistani",
            _PAKISTANI,
            languages=_lang(("Urdu", 50), ("Punjabi", 25), ("Pahari (Mirpuri)", 20), ("Pashto", 5)),
            religions=_MUSLIM,
            english_child=0.7,
            middle=0.35,
        ),
        _origin(
            "bangladeshi",
            _BANGLADESHI,
            languages=_lang(("Sylheti", 60), ("Bengali", 35), ("English", 5)),
            religions=_MUSLIM,
            english_child=0.65,
            male_surnames=names("Miah Uddin Ullah"),
            female_surnames=names("Begum Khatun Bibi Sultana"),
        ),
        _origin(
            "afghan",
            _AFGHAN,
            languages=_lang(("Dari", 55), ("Pashto", 45)),
            religions=_w(Muslim=97, Not_stated=3),
            english_child=0.2,
        ),
        _origin(
            "tamil",
            _TAMIL,
            languages=_lang(("Tamil", 100)),
            religions=_w(Hindu=70, Christian=20, Not_stated=10),
            english_child=0.5,
        ),
        _origin(
            "nepali",
            _NEPALI,
            languages=_lang(("Nepali", 90), ("English", 10)),
            religions=_w(Hindu=60, Buddhist=30, Christian=5, No_religion=5),
            english_child=0.5,
        ),
        _origin(
            "filipino",
            _FILIPINO,
            languages=_lang(("Tagalog", 80), ("English", 20)),
            religions=_w(Christian=90, Not_stated=10),
            english_child=0.6,
            middle=0.4,
            takes_married_name=0.9,
        ),
        _origin(
            "vietnamese",
            _VIETNAMESE,
            languages=_lang(("Vietnamese", 100)),
            religions=_w(Buddhist=40, No_religion=40, Christian=15, Not_stated=5),
            english_child=0.4,
            middle=0.7,
            middle_male=names("Văn Đức Minh Quốc"),
            middle_female=names("Thị Ngọc Thu"),
        ),
        _origin(
            "chinese",
            _CHINESE,
            languages=_lang(("Cantonese", 45), ("Mandarin", 45), ("Hakka", 5), ("English", 5)),
            religions=_w(No_religion=55, Christian=20, Buddhist=15, Not_stated=10),
            english_child=0.55,
        ),
        _origin(
            "caribbean",
            _CARIBBEAN,
            languages=_lang(("English", 100)),
            religions=_w(Christian=65, No_religion=25, Not_stated=5, Other_religion=5),
            english_child=1.0,
            middle=0.6,
            takes_married_name=0.7,
        ),
        _origin(
            "nigerian",
            _NIGERIAN,
            languages=_lang(("English", 40), ("Yoruba", 35), ("Igbo", 20), ("Hausa", 5)),
            religions=_w(Christian=85, Muslim=10, Not_stated=5),
            english_child=0.9,
            middle=0.6,
            takes_married_name=0.85,
        ),
        _origin(
            "ghanaian",
            _GHANAIAN,
            languages=_lang(("English", 40), ("Twi", 45), ("Ga", 10), ("Ewe", 5)),
            religions=_w(Christian=85, Muslim=10, Not_stated=5),
            english_child=0.9,
            middle=0.5,
            takes_married_name=0.7,
        ),
        _origin(
            "somali",
            _SOMALI,
            languages=_lang(("Somali", 95), ("English", 5)),
            religions=_w(Muslim=97, Not_stated=3),
            english_child=0.4,
        ),
        _origin(
            "eritrean",
            _ERITREAN,
            languages=_lang(("Tigrinya", 85), ("Tigre", 5), ("Arabic", 5), ("Amharic", 5)),
            religions=_w(Christian=75, Muslim=20, Not_stated=5),
            english_child=0.3,
        ),
        _origin(
            "zimbabwean",
            _ZIMBABWEAN,
            languages=_lang(("English", 50), ("Shona", 40), ("Ndebele", 10)),
            religions=_w(Christian=85, No_religion=10, Not_stated=5),
            english_child=0.9,
            middle=0.4,
            takes_married_name=0.85,
        ),
    )
}

DIMINUTIVES: dict[str, tuple[str, ...]] = {
    "Elizabeth": ("Liz", "Beth", "Lizzie"), "Margaret": ("Maggie", "Peggy", "Meg"),
    "William": ("Bill", "Will", "Billy"), "Robert": ("Bob", "Rob", "Bobby"), "Richard": ("Rich",),
    "Anthony": ("Tony",), "Thomas": ("Tom", "Tommy"), "James": ("Jim", "Jamie"),
    "Michael": ("Mike", "Mick"), "Christopher": ("Chris",), "Samuel": ("Sam",),
    "Joseph": ("Joe",), "Rebecca": ("Becky", "Becca"), "Jacqueline": ("Jackie",),
    "Patricia": ("Pat", "Trish"), "Susan": ("Sue",), "Jennifer": ("Jenny", "Jen"),
    "Deborah": ("Debbie",), "Frederick": ("Fred", "Freddie"), "Edward": ("Ted", "Eddie"),
    "Daniel": ("Dan", "Danny"), "Matthew": ("Matt",), "Nicola": ("Nicky",),
    "Victoria": ("Vicky", "Tori"), "Samantha": ("Sam",), "Pamela": ("Pam",), "Kenneth": ("Ken",),
    "Ronald": ("Ron", "Ronnie"), "Raymond": ("Ray",), "Stephen": ("Steve",), "Steven": ("Steve",),
    "Alexandra": ("Alex",), "Catherine": ("Kate", "Cathy"), "Gillian": ("Jill",),
    "Katherine": ("Kate", "Katie"), "Dorothy": ("Dot", "Dottie"), "Joshua": ("Josh",),
    "Benjamin": ("Ben",), "Charlotte": ("Lottie", "Charlie"), "Eleanor": ("Ellie", "Nell"),
    "Oluwaseun": ("Seun",), "Chukwuemeka": ("Emeka",), "Oluwatoyin": ("Toyin",),
    "Funmilayo": ("Funmi",), "Babatunde": ("Tunde",), "Oluwakemi": ("Kemi",),
    "Abimbola": ("Bimbo",), "Adaeze": ("Ada",), "Małgorzata": ("Gosia",),
    "Wojciech": ("Wojtek",), "Katarzyna": ("Kasia",), "Aleksandra": ("Ola",),
    "Oleksandr": ("Sasha",), "Mykhailo": ("Misha",), "Muhammad": ("Mo",), "Mohammed": ("Mo",),
    "Mohamed": ("Mo",), "Abdirahman": ("Abdi",), "Seán": ("Sean",), "Pádraig": ("Paddy",),
    "Patrick": ("Paddy", "Pat"), "Bartłomiej": ("Bartek",), "Krzysztof": ("Krzysiek",),
    "Francisco": ("Chico",), "Alejandro": ("Alex",), "Hoi-Ching": ("Michelle",),
    "Chun-Kit": ("Kit",), "Zhiwei": ("David",), "Xiaoling": ("Linda",), "Tharshika": ("Tharsh",),
}  # fmt: skip


def feminine_surname(origin: Origin, surname: str) -> str:
    """The form of a family name a woman or girl carries (Kowalski -> Kowalska)."""
    rule = origin.feminine
    if rule == "polish":
        for masculine in ("ski", "cki", "dzki"):
            if surname.endswith(masculine):
                return surname[:-1] + "a"
    elif rule == "ukrainian":
        if surname.endswith("skyi"):
            return surname[:-3] + "ka"
    elif rule == "slovak" and surname in _ROMA_SK[2]:
        stem = surname[:-1] if surname[-1] in "ao" else surname
        return stem + "ová"
    return surname


def generation_pool(origin: Origin, sex: str, birth_year: int) -> tuple[str, ...]:
    if origin.generations:
        for last_year, male, female in origin.generations:
            if birth_year <= last_year:
                return female if sex == "F" else male
    return origin.female if sex == "F" else origin.male


def given_name(rng: random.Random, origin: Origin, sex: str, birth_year: int) -> str:
    """A given name for a "M" or "F" name pool (anything else takes either pool)."""
    if sex not in ("M", "F"):
        sex = "F" if rng.random() < 0.5 else "M"
    return choice(rng, generation_pool(origin, sex, birth_year))


def middle_names(rng: random.Random, origin: Origin, sex: str, birth_year: int, given: str) -> str:
    if rng.random() >= origin.middle:
        return ""
    fixed = origin.middle_female if sex == "F" else origin.middle_male
    if fixed:
        return choice(rng, fixed)
    pool = generation_pool(origin, sex, birth_year)
    first = choice(rng, pool)
    if first == given:
        return ""
    if rng.random() < 0.12:
        second = choice(rng, pool)
        if second not in (first, given):
            return f"{first} {second}"
    return first


def family_name(rng: random.Random, origin: Origin, sex: str) -> str:
    """A person's own family name, in the form they carry."""
    gendered = origin.female_surnames if sex == "F" else origin.male_surnames
    if gendered and rng.random() < 0.35:
        return choice(rng, gendered)
    name = choice(rng, origin.surnames)
    return feminine_surname(origin, name) if sex == "F" else name


def known_as(rng: random.Random, given: str, middle: str) -> str:
    """A name the person prefers, or "" (a short form, or going by a middle name)."""
    short = DIMINUTIVES.get(given)
    if short and rng.random() < 0.3:
        return choice(rng, short)
    if middle and " " not in middle and len(middle) > 3 and rng.random() < 0.04:
        return middle
    return ""
